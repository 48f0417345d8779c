using System.Text.RegularExpressions;

namespace Ablations.Core.Spec;

/// <summary>
/// Reads <c>pipeline:</c> given as a mapping: the spec's own stages, each an external program. Everything a stage's
/// hash depends on is checked here, at its place in the file: the parameters it names exist, every
/// <c>${param.KEY}</c> its command passes is among them (else the stage would be shared across values it reads),
/// every <c>${in.STAGE}</c> is one of its inputs, inputs name earlier stages, and <c>${seed}</c> is used only by a
/// stage run per seed.
/// </summary>
internal sealed partial class UserStageReader(NodeReader reader, List<SpecDiagnostic> notes)
{
    private static readonly string[] StageKeys = ["program", "command", "params", "inputs", "per_seed", "working_dir", "env", "timeout", "code"];

    [GeneratedRegex("^[a-z][a-z0-9_-]*$")]
    private static partial Regex StageName();

    [GeneratedRegex(@"\$\{param\.([^}]+)\}")]
    private static partial Regex ParamMacro();

    [GeneratedRegex(@"\$\{in\.([^}]+)\}")]
    private static partial Regex InputMacro();

    /// <summary>${args} and its other forms pass every parameter the stage names.</summary>
    private static readonly string[] ArgsMacros = [.. CommandReader.Macros.Where(m => m.StartsWith("${args", StringComparison.Ordinal))];

    public List<UserStage> Read(SpecMapping pipeline, IReadOnlyCollection<string> parameterKeys)
    {
        var stages = new List<UserStage>();
        if (pipeline.Entries.Count == 0)
        {
            reader.Diags.Add(pipeline, "pipeline: declare at least one stage, e.g. pipeline: {train: {command: [python3, train.py, --out, \"${out}\"]}}");
            return stages;
        }
        var declared = new List<string>();
        foreach (var (key, node) in pipeline.Entries)
        {
            var name = key.Value;
            var where = $"pipeline.{name}";
            if (!StageName().IsMatch(name))
            {
                reader.Diags.Add(key, $"stage name '{NodeReader.Short(name)}': use lower-case letters, digits, '_' and '-', starting with a letter (it names ${{in.{name}}} and the stage's metrics)");
            }
            if (reader.Mapping(node, where, $"{name}: {{command: [python3, {name}.py, --out, \"${{out}}\"], params: [lr]}}") is not { } map)
            {
                declared.Add(name);
                continue;
            }
            reader.CheckKeys(map, StageKeys, where);
            if (map.Get("command") is null)
            {
                reader.Diags.Add(key, $"{where}: give the stage's command, e.g. command: [python3, {name}.py, --out, \"${{out}}\"]");
            }
            var command = new CommandReader(reader, notes).Read(map.Get("program"), map.Get("command"), map, key, stage: where);

            var parameters = ReadNames(map.Get("params"), $"{where}.params", parameterKeys, "parameters", "params: [student.lr]");
            var inputs = ReadNames(map.Get("inputs"), $"{where}.inputs", declared, "earlier stages", "inputs: [teacher]") ?? [];
            var perSeed = true;
            if (map.Get("per_seed") is { } perSeedNode)
            {
                perSeed = reader.Choice(perSeedNode, $"{where}.per_seed", ["true", "false"]) != "false";
            }
            CheckCommand(map.Get("command"), where, parameters, inputs, perSeed);
            stages.Add(new UserStage(name, command, parameters, inputs, perSeed));
            declared.Add(name);
        }
        return stages;
    }

    /// <summary>A list of names, each one of <paramref name="known"/>; null when the key is absent.</summary>
    private List<string>? ReadNames(SpecNode? node, string what, IReadOnlyCollection<string> known, string knownWhat, string example)
    {
        if (node is null)
        {
            return null;
        }
        var result = new List<string>();
        if (reader.Sequence(node, what, example) is not { } seq)
        {
            return result;
        }
        foreach (var item in seq.Items)
        {
            if (item is not SpecScalar { IsNull: false } s)
            {
                reader.Diags.Add(item, $"each '{what}' entry is a name; e.g. {example}");
                continue;
            }
            if (!known.Contains(s.Value))
            {
                reader.Diags.Add(item, $"{what}: '{NodeReader.Short(s.Value)}' is not one of the {knownWhat}; {KeySuggester.Hint(s.Value, known, knownWhat)}");
                continue;
            }
            if (!result.Contains(s.Value))
            {
                result.Add(s.Value);
            }
        }
        return result;
    }

    private void CheckCommand(SpecNode? commandNode, string where, IReadOnlyList<string>? parameters, IReadOnlyList<string> inputs, bool perSeed)
    {
        if (commandNode is not SpecSequence seq)
        {
            return;
        }
        foreach (var item in seq.Items.OfType<SpecScalar>())
        {
            foreach (Match m in ParamMacro().Matches(item.Value))
            {
                var key = m.Groups[1].Value;
                if (parameters is not null && !parameters.Contains(key))
                {
                    reader.Diags.Add(item, $"{where}: the command passes ${{param.{key}}} but params does not list '{key}'; add it to params (it then enters this stage's hash)");
                }
            }
            foreach (Match m in InputMacro().Matches(item.Value))
            {
                var input = m.Groups[1].Value;
                if (!inputs.Contains(input))
                {
                    reader.Diags.Add(item, $"{where}: the command reads ${{in.{input}}} but inputs does not list '{input}'; add inputs: [{input}] (an earlier stage)");
                }
            }
            if (!perSeed && item.Value.Contains("${seed}", StringComparison.Ordinal))
            {
                reader.Diags.Add(item, $"{where}: the command passes ${{seed}} but per_seed is false, so one output would be shared by every seed; drop ${{seed}} or per_seed: false");
            }
            if (parameters is { Count: 0 } && ArgsMacros.Contains(item.Value))
            {
                notes.Add(new SpecDiagnostic(reader.Diags.File, item.Line, item.Column,
                    $"{where}: {item.Value} passes no parameters, because params is empty"));
            }
        }
    }
}
