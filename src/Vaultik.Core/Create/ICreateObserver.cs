namespace Vaultik.Core.Create;

/// <summary>Receives what a snapshot run wants a person to know while it runs.</summary>
public interface ICreateObserver
{
    /// <summary>A source entry could not be backed up (or not consistently); the run goes on.</summary>
    void Warning(string path, string reason);

    /// <summary>An entry was deliberately left out (a socket, FIFO or device; another filesystem): not a problem, shown only on request (<c>-v</c>).</summary>
    void Notice(string path, string reason);

    /// <summary>Something about the whole run a person should know, though nothing failed (e.g. the recipients changed).</summary>
    void Info(string message);

    /// <summary>A step of the run began (e.g. "reconciling index", "uploading metadata").</summary>
    void Phase(string description);
}
