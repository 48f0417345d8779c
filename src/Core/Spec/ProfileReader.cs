namespace Ablations.Core.Spec;

/// <summary>Checks every profile under <c>profiles:</c> and merges the chosen one over the root document.</summary>
internal sealed class ProfileReader(NodeReader r)
{
    /// <summary>Every profile the file defines, in file order (filled by <see cref="Apply"/>).</summary>
    public List<string> Names { get; } = [];

    public SpecMapping Apply(SpecMapping root, string? profile)
    {
        var profilesNode = root.Get("profiles");
        var profiles = new Dictionary<string, SpecMapping>(StringComparer.Ordinal);
        if (r.Mapping(profilesNode, "profiles", "profiles: {smoke: {seeds: [1]}}") is { } map)
        {
            var profileKeys = SpecBuilder.RootKeys.Where(k => k is not "profiles").ToList();
            foreach (var (key, value) in map.Entries)
            {
                if (r.Mapping(value, $"profiles.{key.Value}", "smoke: {stages: {world: {web_pool: 256}}}") is { } body)
                {
                    var normalized = SpecDocument.Normalize(body, r.Diags);
                    r.CheckKeys(normalized, profileKeys, $"profile '{key.Value}'");
                    profiles[key.Value] = normalized;
                    Names.Add(key.Value);
                }
            }
        }
        if (profile is null)
        {
            return root;
        }
        if (profiles.TryGetValue(profile, out var chosen))
        {
            return SpecDocument.Merge(root, chosen);
        }
        var defined = profiles.Count == 0 ? "this file defines no profiles (add them under 'profiles:')" : $"defined profiles are {string.Join(", ", profiles.Keys)}";
        var at = root.KeyNode("profiles");
        r.Diags.Add(at?.Line ?? 1, at?.Column ?? 1, $"unknown profile '{profile}'; {defined}");
        return root;
    }
}
