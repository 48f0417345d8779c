using Ablations.Core.Store;
using Ablations.Orchestrator.Scheduling;
using System.Diagnostics;

namespace Ablations.Orchestrator.Tests;

/// <summary>A temp folder holding specs, scripts and a workspace (.ablations) for one test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Path = Directory.CreateTempSubdirectory("ablate-test-").FullName;

    public string Path { get; }
    public string Root => System.IO.Path.Combine(Path, ".ablations");
    public Workspace Workspace => Workspace.Create(Root, null);

    public string Write(string name, string text)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, text);
        return file;
    }

    public ResultsStore Store() => ResultsStore.Open(Workspace.Store);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

internal sealed record AblateResult(int ExitCode, string Stdout, string Stderr)
{
    public string All => Stdout + "\n" + Stderr;
}

/// <summary>Runs the real `ablate` program (this build's ablate.dll) as a child process.</summary>
internal static class Ablate
{
    public static Process Start(string cwd, params string[] args) => Start(cwd, new Dictionary<string, string>(), args);

    public static Process Start(string cwd, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var (exe, prefix) = LocalRunnerProcess.SelfCommand();
        var psi = new ProcessStartInfo(exe)
        {
            WorkingDirectory = cwd,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in prefix.Concat(args)) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["COLUMNS"] = "200";
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    public static AblateResult Run(string cwd, params string[] args) => Wait(Start(cwd, args), TimeSpan.FromMinutes(3));

    public static AblateResult Wait(Process p, TimeSpan timeout)
    {
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"ablate did not finish in {timeout}: {stdout.Result}\n{stderr.Result}");
        }
        p.WaitForExit();
        return new AblateResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Polls until the condition holds, failing the test with a message after the timeout.</summary>
    public static void WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"timed out waiting for {what}");
            Thread.Sleep(100);
        }
    }

    /// <summary>Stops `ablate runner` processes the way an operator would (stdin closed, SIGTERM) and waits for each to exit.</summary>
    public static void StopRunners(params Process[] runners)
    {
        foreach (var r in runners)
        {
            r.StandardInput.Close();
            Signal(r, "TERM");
        }
        foreach (var r in runners) Wait(r, TimeSpan.FromSeconds(60));
    }

    public static void Signal(Process p, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", p.Id.ToString()])!;
        kill.WaitForExit();
    }
}

/// <summary>Files of this repository (shipped experiments), found from the test binary's folder.</summary>
internal static class Repo
{
    public static string File(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Ablations.sln"))) dir = dir.Parent;
        return System.IO.Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), relative);
    }
}

/// <summary>What a user compares: a report's results.csv, without the run id column (ids hash the stage chain, whose command stages name their folder).</summary>
internal static class ReportedResults
{
    public static IReadOnlyList<string> Of(string dir, string experiment, string? folder = null) =>
        System.IO.File.ReadAllLines(System.IO.Path.Combine(dir, "reports", folder ?? experiment, "results.csv"))
            .Select(line => line[(line.IndexOf(',') + 1)..]).ToList();
}

/// <summary>Specs and scripts for command-stage grids: a fake trainer that writes JSON-lines metrics.</summary>
internal static class Fixtures
{
    /// <summary>
    /// train.sh --a=X --b=Y: loss curve of 3 steps, final score = a*10+b+seed/100; fails with exit 3 when b = 99. With
    /// LOCK set it holds that directory while it runs and fails (exit 4) if another stage holds it; with WAIT_FOR it waits
    /// for that file to exist; with SLEEP it sleeps that long.
    /// </summary>
    public const string Trainer = """
        #!/usr/bin/env bash
        a=0; b=0
        for arg in "$@"; do case $arg in --a=*) a=${arg#--a=};; --b=*) b=${arg#--b=};; esac; done
        echo "training a=$a b=$b seed=$ABLATIONS_SEED"
        if [ "$b" = "99" ]; then echo "diverged badly" >&2; exit 3; fi
        for s in 1 2 3; do echo "{\"name\":\"loss\",\"step\":$s,\"value\":0.$s}" >> "$ABLATIONS_METRICS_FILE"; done
        if [ -n "$LOCK" ]; then mkdir "$LOCK" 2>/dev/null || { echo "another stage holds $LOCK" >&2; exit 4; }; fi
        if [ -n "$DEVICES_TO" ]; then echo "$ABLATIONS_DEVICES" >> "$DEVICES_TO"; fi
        if [ -n "$WAIT_FOR" ]; then while [ ! -e "$WAIT_FOR" ]; do sleep 0.05; done; fi
        if [ -n "$SLEEP" ]; then sleep "$SLEEP"; fi
        if [ -n "$LOCK" ]; then rmdir "$LOCK"; fi
        if [ -n "$COUNTER" ]; then echo run >> "$COUNTER"; fi
        echo "{\"name\":\"score\",\"value\":$(awk "BEGIN{print $a*10+$b+$ABLATIONS_SEED/100}")}"
        """;

    public static string Spec(string name, string aValues, string bValues, string seeds = "[1, 2]", string env = "") => $$"""
        name: {{name}}
        program: train.sh
        method: grid
        metric: {name: score, goal: maximize}
        seeds: {{seeds}}
        parameters:
          a: {values: {{aValues}}}
          b: {values: {{bValues}}}
        command:
          - bash
          - ${program}
          - ${args}
        {{(env.Length > 0 ? "command_options:\n  env: {" + env + "}" : "")}}
        """;
}
