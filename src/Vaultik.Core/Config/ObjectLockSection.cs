namespace Vaultik.Core.Config;

/// <summary>
/// The config's <c>s3.object_lock:</c> section: every object Vaultik writes (except lock leases) carries S3 Object
/// Lock retention in <see cref="Mode"/> for <see cref="Retention"/> from the moment it is written.
/// </summary>
/// <param name="Mode"><c>governance</c> or <c>compliance</c>, as written in the config.</param>
/// <param name="Retention">How long each object stays retained; more than zero.</param>
public sealed record ObjectLockSection(string Mode, TimeSpan Retention)
{
    public const string Governance = "governance";

    public const string Compliance = "compliance";
}
