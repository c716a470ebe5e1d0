namespace Vaultik.Core;

/// <summary>
/// Base of every error Vaultik reports to a user. The message is one line of the form
/// "cannot &lt;verb&gt; &lt;noun&gt;: &lt;reason&gt;". The kind of failure is the exception's type
/// (<see cref="ConfigurationException"/>, <see cref="CorruptDataException"/>, a storage or lock error); the CLI
/// maps kinds to process exit codes in one place.
/// </summary>
public class VaultikException : Exception
{
    public VaultikException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
