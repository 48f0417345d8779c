using Ablations.Core.Stages;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ablations.Core.Spec;

/// <summary>
/// Reads <c>pipeline:</c> given as a mapping: the spec's own stages, each an external program or a built-in stage type
/// (<c>type:</c>). Everything a stage's hash depends on is checked here, at its place in the file: the parameters it
/// names exist, every <c>${param.KEY}</c> its command passes is among them (else the stage would be shared across values
/// it reads), every <c>${in.STAGE}</c> is one of its inputs, inputs name earlier stages, <c>${seed}</c> is used only by
/// a stage run per seed, and a built-in stage gets every input role its executor needs and no role it does not read.
/// Its options are bound to the type's options when the runs are planned, once the placeholders have values.
/// </summary>
internal sealed partial class UserStageReader(NodeReader reader, List<SpecDiagnostic> notes)
{
    private static readonly string[] StageKeys = ["program", "command", "params", "inputs", "per_seed", "working_dir", "env", "timeout", "code", "type"];

    /// <summary>The keys of a built-in stage: its type, its options, and which stage gives each input role.</summary>
    private static readonly string[] BuiltInKeys = ["type", "options", "inputs"];

    [GeneratedRegex(@"^\$\{(param\.([^}]+)|seed)\}$")]
    private static partial Regex WholeMacro();

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
            if (map.Get("type") is { } typeNode)
            {
                if (ReadBuiltIn(key, map, typeNode, where, parameterKeys, declared) is { } builtIn) stages.Add(builtIn);
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
            stages.Add(new UserStage(name, command, parameters, inputs.ToDictionary(i => i, i => i, StringComparer.Ordinal), perSeed));
            declared.Add(name);
        }
        return stages;
    }

    /// <summary>
    /// <c>NAME: {type: eval, inputs: {world: data, model: train}, options: {tasks: [colour]}}</c>. Inputs are a mapping of
    /// role to stage, or a list of stages whose names are the roles.
    /// </summary>
    private UserStage? ReadBuiltIn(SpecScalar key, SpecMapping map, SpecNode typeNode, string where, IReadOnlyCollection<string> parameterKeys, IReadOnlyList<string> declared)
    {
        var builtIn = StageTypes.BuiltIn.Select(t => t.Name).ToList();
        foreach (var (k, _) in map.Entries.Where(e => !BuiltInKeys.Contains(e.Key.Value)))
        {
            reader.Diags.Add(k, StageKeys.Contains(k.Value)
                ? $"{where}: '{k.Value}' belongs to a stage that runs your own program; a stage of type '{(typeNode as SpecScalar)?.Value}' takes only {string.Join(", ", BuiltInKeys)} (use ${{param.KEY}} or ${{seed}} in options for what varies per run)"
                : $"unknown key '{NodeReader.Short(k.Value)}' in {where}; {KeySuggester.Hint(k.Value, BuiltInKeys)}");
        }
        if (typeNode is SpecScalar { Value: var named } && named == StageTypes.Command.Name)
        {
            reader.Diags.Add(typeNode, $"{where}.type: a stage of your own program needs no type; drop it and give the command, e.g. command: [python3, {key.Value}.py, --out, \"${{out}}\"]");
            return null;
        }
        if (reader.Choice(typeNode, $"{where}.type", builtIn) is not { } typeName) return null;
        var type = StageTypes.Get(typeName);

        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var inputsNode = map.Get("inputs");
        var example = $"inputs: {{{string.Join(", ", type.Inputs.Select(r => $"{r.Replace("*", "NAME")}: STAGE"))}}}";
        if (inputsNode is SpecSequence)
        {
            foreach (var stage in ReadNames(inputsNode, $"{where}.inputs", declared, "earlier stages", example) ?? []) inputs[stage] = stage;
            foreach (var role in inputs.Keys.Where(r => !type.Reads(r)))
                reader.Diags.Add(inputsNode, $"{where}.inputs: a {type.Name} stage does not read '{role}'; it reads {string.Join(", ", type.Inputs)}; map roles to stages, e.g. {example}");
        }
        else if (inputsNode is not null && reader.Mapping(inputsNode, $"{where}.inputs", example) is { } roles)
        {
            foreach (var (role, stageNode) in roles.Entries)
            {
                if (stageNode is not SpecScalar { IsNull: false } stage)
                {
                    reader.Diags.Add(stageNode, $"{where}.inputs.{role.Value}: name the earlier stage that gives it; e.g. {example}");
                }
                else if (!declared.Contains(stage.Value))
                {
                    reader.Diags.Add(stage, $"{where}.inputs.{role.Value}: '{NodeReader.Short(stage.Value)}' is not one of the earlier stages; {KeySuggester.Hint(stage.Value, declared, "earlier stages")}");
                }
                else
                {
                    inputs[role.Value] = stage.Value;
                }
                if (!type.Reads(role.Value))
                {
                    reader.Diags.Add(role, $"{where}.inputs: a {type.Name} stage does not read '{NodeReader.Short(role.Value)}'; it reads {string.Join(", ", type.Inputs)}");
                }
            }
        }
        foreach (var missing in type.RequiredInputs.Where(r => !inputs.ContainsKey(r)))
        {
            reader.Diags.Add(inputsNode ?? key, $"{where}: a {type.Name} stage needs input '{missing}'; add it, e.g. {example}");
        }

        var options = new JsonObject();
        if (map.Get("options") is { } optionsNode && reader.Mapping(optionsNode, $"{where}.options", $"options: {{seed: 3}}") is { } optionsMap)
        {
            options = YamlJson.ToObject(optionsMap, reader.Diags);
            CheckPlaceholders(optionsMap, $"{where}.options", parameterKeys);
        }
        var used = Placeholders(options).ToList();
        var parameters = used.Where(u => u != "seed").Select(u => u["param.".Length..]).Distinct().ToList();
        return new UserStage(key.Value, null, parameters, inputs, PerSeed: used.Contains("seed")) { Type = type, Options = options };
    }

    /// <summary>Every <c>${…}</c> in a built-in stage's options is a whole value: <c>${param.KEY}</c> of a parameter, or <c>${seed}</c>.</summary>
    private void CheckPlaceholders(SpecNode node, string where, IReadOnlyCollection<string> parameterKeys)
    {
        switch (node)
        {
            case SpecMapping m:
                foreach (var (k, v) in m.Entries) CheckPlaceholders(v, $"{where}.{k.Value}", parameterKeys);
                break;
            case SpecSequence q:
                for (var i = 0; i < q.Items.Count; i++) CheckPlaceholders(q.Items[i], $"{where}[{i}]", parameterKeys);
                break;
            case SpecScalar { Value: var text } s when text.Contains("${", StringComparison.Ordinal):
                if (WholeMacro().Match(text) is not { Success: true } m2)
                {
                    reader.Diags.Add(s, $"{where}: an option takes a placeholder as its whole value (${{param.KEY}} or ${{seed}}), not inside other text");
                }
                else if (m2.Groups[2].Success && !parameterKeys.Contains(m2.Groups[2].Value))
                {
                    reader.Diags.Add(s, $"{where}: '{NodeReader.Short(m2.Groups[2].Value)}' is not one of the parameters; {KeySuggester.Hint(m2.Groups[2].Value, parameterKeys, "parameters")}");
                }
                break;
        }
    }

    /// <summary>The placeholders of options, as "param.KEY" or "seed".</summary>
    internal static IEnumerable<string> Placeholders(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(kv => Placeholders(kv.Value)),
        JsonArray a => a.SelectMany(Placeholders),
        JsonValue v when v.TryGetValue<string>(out var text) && WholeMacro().Match(text) is { Success: true } m => [m.Groups[1].Value],
        _ => [],
    };

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
