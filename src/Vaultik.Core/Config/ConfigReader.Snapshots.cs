using Vaultik.Core.Hooks;
using Vaultik.Core.Source;
using YamlDotNet.RepresentationModel;

namespace Vaultik.Core.Config;

/// <summary>The <c>snapshots:</c> section, the exclude keys beyond <c>exclude</c>, and hooks.</summary>
internal sealed partial class ConfigReader
{
    private List<SnapshotConfig> Snapshots(YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            throw _values.Error(node, "snapshots", "must be a mapping of snapshot names to {paths, exclude}");
        }

        var list = new List<SnapshotConfig>();
        foreach (var (keyNode, value) in map.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            if (name.Length is 0 or > 64 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-'))
            {
                throw _values.Error(keyNode, "snapshots", $"snapshot name '{name}' must be 1-64 letters, digits, '.', '_' or '-'");
            }

            if (value is not YamlMappingNode body)
            {
                throw _values.Error(value, $"snapshots.{name}", "must be a mapping with 'paths' (and optionally 'exclude')");
            }

            var prefix = $"snapshots.{name}.";
            var keys = Keys(body, prefix);
            var hooks = keys.TryGetValue("hooks", out var h) ? Hooks(h, prefix + "hooks") : SnapshotHooks.None;
            var tags = keys.TryGetValue("tags", out var t) ? Tags(t, prefix + "tags") : [];
            if (keys.ContainsKey("command") || keys.ContainsKey("stdin_filename"))
            {
                list.Add(SnapshotCommandKeys.Apply(_values, keys, body, new SnapshotConfig(name, [], []) { Hooks = hooks, Tags = tags }));
                continue;
            }

            var paths = keys.TryGetValue("paths", out var p) ? _values.StringList(p, prefix + "paths") : [];
            var filesFrom = keys.TryGetValue("files_from", out var f) ? AbsolutePath(f, prefix + "files_from", ConfigPaths.Expand(_values.NonEmpty(f, prefix + "files_from"))) : null;
            if (paths.Count == 0 && filesFrom is null)
            {
                throw _values.Error(value, prefix + "paths", "at least one path is required (or files_from, or a 'command')");
            }

            var expanded = paths.Select(path => AbsolutePath(p!, prefix + "paths", ConfigPaths.Expand(path), path)).ToList();
            list.Add(new SnapshotConfig(name, expanded, keys.TryGetValue("exclude", out var x) ? _values.StringList(x, prefix + "exclude") : [])
            {
                Excludes = ExcludeKeys(keys, prefix),
                FilesFrom = filesFrom,
                Hooks = hooks,
                Tags = tags,
            });
        }

        return list;
    }

    private string AbsolutePath(YamlNode node, string key, string full, string? given = null) =>
        Path.IsPathRooted(full) ? full : throw _values.Error(node, key, $"'{given ?? full}' is not an absolute path");

    /// <summary><c>exclude_caches</c>, <c>exclude_if_present</c>, <c>exclude_larger_than</c> at one level (top or one snapshot).</summary>
    private ExcludeKeys ExcludeKeys(Dictionary<string, YamlNode> keys, string prefix)
    {
        var markers = keys.TryGetValue("exclude_if_present", out var m) ? _values.StringList(m, prefix + "exclude_if_present") : [];
        foreach (var marker in markers)
        {
            if (!ExcludeRules.IsValidMarkerName(marker))
            {
                throw _values.Error(m!, prefix + "exclude_if_present", $"'{marker}' must be a file name (no '/')");
            }
        }

        return new ExcludeKeys(
            keys.TryGetValue("exclude_caches", out var c) ? _values.Bool(c, prefix + "exclude_caches") : null,
            markers,
            keys.ContainsKey("exclude_larger_than") ? _values.Size(keys, "exclude_larger_than", 0, 1, long.MaxValue, prefix) : null);
    }

    /// <summary><c>hook_timeout</c>: from 1s to 24h.</summary>
    private TimeSpan HookTimeout(Dictionary<string, YamlNode> keys)
    {
        var value = _values.Duration(keys, "hook_timeout", ConfigDefaults.HookTimeout);
        if (value < TimeSpan.FromSeconds(1) || value > TimeSpan.FromHours(24))
        {
            throw _values.Error(keys["hook_timeout"], "hook_timeout", "must be from 1s to 24h");
        }

        return value;
    }

    /// <summary><c>hooks: {before: [...], after: [...], on_failure: [...]}</c>, each a list of shell commands.</summary>
    private SnapshotHooks Hooks(YamlNode node, string key)
    {
        if (node is not YamlMappingNode map)
        {
            throw _values.Error(node, key, "must be a mapping {before: [...], after: [...], on_failure: [...]}");
        }

        var keys = Keys(map, key + ".");
        List<string> Commands(HookKind kind)
        {
            var name = SnapshotHooks.KeyOf(kind);
            if (!keys.TryGetValue(name, out var list))
            {
                return [];
            }

            var commands = _values.StringList(list, $"{key}.{name}");
            return commands.Any(string.IsNullOrWhiteSpace) ? throw _values.Error(list, $"{key}.{name}", "a hook command must not be empty") : commands;
        }

        return new SnapshotHooks(Commands(HookKind.Before), Commands(HookKind.After), Commands(HookKind.OnFailure));
    }
}
