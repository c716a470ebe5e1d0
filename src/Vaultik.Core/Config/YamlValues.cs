using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Vaultik.Core.Config;

/// <summary>Typed reads of single YAML values (sizes, durations, numbers, booleans, lists), each error naming the file, line and key.</summary>
internal sealed class YamlValues(string source)
{
    public long Size(Dictionary<string, YamlNode> keys, string key, long fallback, long min, long max, string prefix = "")
    {
        if (!keys.TryGetValue(key, out var node))
        {
            return fallback;
        }

        var text = Scalar(node, prefix + key);
        if (!ByteSize.TryParse(text, out var bytes))
        {
            throw Error(node, prefix + key, $"'{text}' is not a size (use e.g. 512MiB, 1GiB)");
        }

        if (bytes < min || bytes > max)
        {
            throw Error(node, prefix + key, $"must be between {ByteSize.Format(min)} and {ByteSize.Format(max)}");
        }

        return bytes;
    }

    public TimeSpan Duration(Dictionary<string, YamlNode> keys, string key, TimeSpan fallback, string prefix = "")
    {
        if (!keys.TryGetValue(key, out var node))
        {
            return fallback;
        }

        var text = Scalar(node, prefix + key);
        try
        {
            return DurationParser.Parse(text);
        }
        catch (FormatException ex)
        {
            throw Error(node, prefix + key, ex.Message);
        }
    }

    public int Int(YamlNode node, string key, int min, int max)
    {
        var text = Scalar(node, key);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Error(node, key, $"'{text}' is not a whole number from {min} to {max}");
        }

        return value;
    }

    public bool Bool(YamlNode node, string key) => Scalar(node, key) switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        var other => throw Error(node, key, $"'{other}' is not true or false"),
    };

    public string NonEmpty(YamlNode node, string key)
    {
        var text = Scalar(node, key);
        return text.Length > 0 ? text : throw Error(node, key, "must not be empty");
    }

    public string Scalar(YamlNode node, string key) =>
        node is YamlScalarNode scalar ? scalar.Value ?? string.Empty : throw Error(node, key, "must be a single value");

    public List<string> StringList(YamlNode node, string key) => node switch
    {
        YamlSequenceNode seq => seq.Children.Select(item => Scalar(item, key)).ToList(),
        YamlScalarNode { Value: { Length: > 0 } single } => [single],
        YamlScalarNode => [],
        _ => throw Error(node, key, "must be a list of strings"),
    };

    public ConfigurationException Error(YamlNode node, string key, string message) =>
        new($"{source}:{node.Start.Line}: {(key.Length > 0 && !message.Contains($"'{key}'", StringComparison.Ordinal) ? key + ": " : string.Empty)}{message}");
}
