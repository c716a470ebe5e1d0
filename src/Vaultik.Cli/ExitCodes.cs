namespace Vaultik.Cli;

/// <summary>The documented process exit codes (README "Exit codes"). Only the CLI knows them: <see cref="ExitCodeMap"/> turns Core outcomes into them.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Error = 1;
    public const int Usage = 2;
    public const int PartialSnapshot = 3;
    public const int Locked = 4;
    public const int VerificationFailed = 5;

    /// <summary><c>store status --max-age</c>: a group's latest complete snapshot is older, a group has none, or none was found.</summary>
    public const int Stale = 6;
    public const int Interrupted = 130;
}
