namespace Vaultik.Core;

/// <summary>
/// Base of every error Vaultik reports to a user. The message is one line of the form
/// "cannot &lt;verb&gt; &lt;noun&gt;: &lt;reason&gt;" and <see cref="ExitCode"/> is what the CLI returns.
/// </summary>
public class VaultikException : Exception
{
    public VaultikException(string message, int exitCode = ExitCodes.Error, Exception? inner = null)
        : base(message, inner) => ExitCode = exitCode;

    public int ExitCode { get; }
}
