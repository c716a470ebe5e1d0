using Vaultik.Core;
using Vaultik.Core.Create;
using Vaultik.Core.Locking;
using Vaultik.Core.Restore;
using Vaultik.Core.Status;
using Vaultik.Core.Verify;

namespace Vaultik.Cli;

/// <summary>
/// The one place where outcomes become documented exit codes: Core's exception kinds and result flags, Vaultik.Age's
/// errors and I/O errors (all 1 unless a kind says otherwise).
/// </summary>
internal static class ExitCodeMap
{
    public static int For(Exception error) => error switch
    {
        ConfigurationException => ExitCodes.Usage,
        LockHeldException => ExitCodes.Locked,
        _ => ExitCodes.Error,
    };

    public static int For(CreateResult result) => result.IsPartial ? ExitCodes.PartialSnapshot : ExitCodes.Success;

    public static int For(RestoreResult result) => result.Ok ? ExitCodes.Success : ExitCodes.Error;

    public static int For(StoreStatus status) => status.Stale ? ExitCodes.Stale : ExitCodes.Success;

    public static int For(VerifyReport report) => report.Ok ? ExitCodes.Success : ExitCodes.VerificationFailed;
}
