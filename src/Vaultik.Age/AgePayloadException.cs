namespace Vaultik.Age;

/// <summary>The STREAM payload failed authentication, is truncated, or has data after its last chunk.</summary>
public sealed class AgePayloadException : AgeException
{
    public AgePayloadException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
