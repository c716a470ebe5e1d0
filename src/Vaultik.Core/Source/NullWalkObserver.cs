namespace Vaultik.Core.Source;

/// <summary>A walk observer that ignores everything.</summary>
public sealed class NullWalkObserver : IWalkObserver
{
    public static readonly NullWalkObserver Instance = new();

    public void Skipped(string fullPath, string reason, bool isError)
    {
    }
}
