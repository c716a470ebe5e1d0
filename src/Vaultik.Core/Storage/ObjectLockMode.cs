namespace Vaultik.Core.Storage;

/// <summary>
/// S3 Object Lock retention modes. Governance: nobody deletes a retained version without the
/// <c>s3:BypassGovernanceRetention</c> right; compliance: nobody at all, not even the account's root, until it lapses.
/// </summary>
public enum ObjectLockMode
{
    Governance,
    Compliance,
}
