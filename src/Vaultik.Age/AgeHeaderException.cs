namespace Vaultik.Age;

/// <summary>The age header (or its armor) is malformed, or its MAC does not verify.</summary>
public sealed class AgeHeaderException : AgeException
{
    public AgeHeaderException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
