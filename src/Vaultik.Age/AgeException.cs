namespace Vaultik.Age;

/// <summary>
/// Base of every age failure: a malformed header (<see cref="AgeHeaderException"/>), a payload that fails
/// authentication (<see cref="AgePayloadException"/>), no matching identity (<see cref="AgeNoIdentityMatchException"/>),
/// or an unreadable key file.
/// </summary>
public class AgeException : Exception
{
    public AgeException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
