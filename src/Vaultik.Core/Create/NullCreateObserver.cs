namespace Vaultik.Core.Create;

/// <summary>An observer that ignores everything.</summary>
public sealed class NullCreateObserver : ICreateObserver
{
    public static readonly NullCreateObserver Instance = new();

    public void Warning(string path, string reason)
    {
    }

    public void Notice(string path, string reason)
    {
    }

    public void Info(string message)
    {
    }

    public void Phase(string description)
    {
    }
}
