using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vaultik.Core.Config;

/// <summary>
/// Reads the YAML config by hand from YamlDotNet's node tree (no reflection, so NativeAOT-safe), applying
/// defaults and checking every key. Each error is one <see cref="ConfigurationException"/> line naming the
/// file, line and key.
/// </summary>
public static class ConfigLoader
{
    public static VaultikConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"cannot read config {path}: {ex.Message}", ex);
        }

        return Parse(text, path);
    }

    public static VaultikConfig Parse(string yamlText, string sourceName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yamlText));
        }
        catch (YamlException ex)
        {
            throw new ConfigurationException($"{sourceName}:{ex.Start.Line}: invalid YAML: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            // YamlDotNet's scanner throws these on some malformed inputs (found by the parser fuzz test).
            throw new ConfigurationException($"{sourceName}: invalid YAML: {ex.Message}", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ConfigurationException($"{sourceName}: the config must be a YAML mapping of keys to values");
        }

        return new ConfigReader(sourceName).Read(root);
    }
}
