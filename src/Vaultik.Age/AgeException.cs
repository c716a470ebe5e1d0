namespace Vaultik.Age;

/// <summary>Base of every age failure: header, payload, or no matching identity.</summary>
public class AgeException : VaultikException
{
    public AgeException(string message, Exception? inner = null)
        : base(message, ExitCodes.Error, inner)
    {
    }
}
