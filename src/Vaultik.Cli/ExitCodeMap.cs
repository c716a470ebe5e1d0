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

    /// <summary>An <c>after</c> hook's failure makes a made snapshot's run an error; otherwise partial is 3.</summary>
    public static int For(CreateResult result) => result.HookError is not null ? ExitCodes.Error : result.IsPartial ? ExitCodes.PartialSnapshot : ExitCodes.Success;

    /// <summary>A snapshot run: the worst of its snapshots, and 1 when a snapshot was skipped or an on_failure hook failed.</summary>
    public static int For(SessionResult result) =>
        Math.Max(result.Created.Select(For).DefaultIfEmpty(ExitCodes.Success).Max(), result.Errors.Count > 0 ? ExitCodes.Error : ExitCodes.Success);

    /// <summary>The codes hooks see in <c>VAULTIK_EXIT_CODE</c>, the ones the process will exit with.</summary>
    public static readonly IOutcomeCodes Outcomes = new OutcomeCodes();

    private sealed class OutcomeCodes : IOutcomeCodes
    {
        public int For(CreateResult result) => ExitCodeMap.For(result);

        public int For(Exception error) => error is OperationCanceledException ? ExitCodes.Interrupted : ExitCodeMap.For(error);
    }

    public static int For(RestoreResult result) => result.Ok ? ExitCodes.Success : ExitCodes.Error;

    public static int For(StoreStatus status) => status.Stale ? ExitCodes.Stale : ExitCodes.Success;

    public static int For(VerifyReport report) => report.Ok ? ExitCodes.Success : ExitCodes.VerificationFailed;
}
