namespace Vaultik.Core;

/// <summary>A configuration or usage error, detected before anything is written.</summary>
public sealed class ConfigurationException : VaultikException
{
    public ConfigurationException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
