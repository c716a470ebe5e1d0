namespace Vaultik.Age;

/// <summary>The header parsed, but none of the given identities unwraps any of its stanzas.</summary>
public sealed class AgeNoIdentityMatchException : AgeException
{
    public AgeNoIdentityMatchException(string message = "no identity matched any of the recipients")
        : base(message)
    {
    }
}
