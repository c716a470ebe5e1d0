namespace Vaultik.Core;

/// <summary>A configuration or usage error (exit code 2), detected before anything is written.</summary>
public sealed class ConfigurationException : VaultikException
{
    public ConfigurationException(string message, Exception? inner = null)
        : base(message, ExitCodes.Usage, inner)
    {
    }
}
