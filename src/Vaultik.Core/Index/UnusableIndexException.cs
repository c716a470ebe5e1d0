namespace Vaultik.Core.Index;

/// <summary>The index file is readable but is no index this version can use (a failed integrity check, an unknown schema): it is moved aside.</summary>
internal sealed class UnusableIndexException : VaultikException
{
    public UnusableIndexException(string message)
        : base(message)
    {
    }
}
