using Vaultik.Core.Streams;
using YamlDotNet.RepresentationModel;

namespace Vaultik.Core.Config;

/// <summary>
/// A snapshot job's <c>command:</c> (an argv list, run without a shell) and <c>stdin_filename:</c>, the
/// alternative to <c>paths:</c>: exactly one of the two is given; a command job takes no <c>exclude</c>.
/// </summary>
internal static class SnapshotCommandKeys
{
    /// <summary>The job with its command set, or unchanged when it has no <c>command:</c> key.</summary>
    public static SnapshotConfig Apply(YamlValues values, Dictionary<string, YamlNode> keys, YamlNode body, SnapshotConfig job)
    {
        var at = $"snapshots.{job.Name}";
        if (!keys.TryGetValue("command", out var node))
        {
            return keys.TryGetValue("stdin_filename", out var orphan)
                ? throw values.Error(orphan, $"{at}.stdin_filename", "needs a 'command' (stdin_filename names the command's output)")
                : job;
        }

        if (keys.TryGetValue("paths", out var paths))
        {
            throw values.Error(paths, at, "give either 'paths' or 'command', not both");
        }

        if (keys.TryGetValue("exclude", out var exclude))
        {
            throw values.Error(exclude, $"{at}.exclude", "a 'command' job stores one stream and has nothing to exclude");
        }

        if (node is not YamlSequenceNode argv)
        {
            throw values.Error(node, $"{at}.command", "must be a list of arguments, e.g. [pg_dump, mydb] (a shell line: [/bin/sh, -c, \"…\"])");
        }

        var command = argv.Children.Select(a => values.Scalar(a, $"{at}.command")).ToList();
        if (command.Count == 0 || command[0].Length == 0)
        {
            throw values.Error(node, $"{at}.command", "needs at least the program to run");
        }

        var fileName = StreamFileName.Default;
        if (keys.TryGetValue("stdin_filename", out var nameNode))
        {
            try
            {
                fileName = StreamFileName.Check(values.Scalar(nameNode, $"{at}.stdin_filename"), "stdin_filename");
            }
            catch (ConfigurationException ex)
            {
                throw values.Error(nameNode, $"{at}.stdin_filename", ex.Message);
            }
        }

        return job with { Command = command, StdinFilename = fileName };
    }
}
