namespace Vaultik.Core.Streams;

/// <summary>The process's standard input (<c>pg_dump mydb | vaultik snapshot create --stdin</c>).</summary>
public sealed class StandardInputSource : IStreamSource
{
    public string Description => "standard input";

    public IOpenStream Open() => new Opened(Console.OpenStandardInput());

    private sealed class Opened(Stream content) : IOpenStream
    {
        public Stream Content => content;

        public void Complete()
        {
        }

        public void Dispose() => content.Dispose();
    }
}
