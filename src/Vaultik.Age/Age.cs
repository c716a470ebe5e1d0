namespace Vaultik.Age;

/// <summary>
/// age v1 over streams: <see cref="Encrypt"/> returns a stream to write plaintext into (dispose it to finish
/// the file); <see cref="Decrypt"/> returns a stream of authenticated plaintext. Armored input is detected
/// and decoded. Memory use is one 64 KiB chunk either way.
/// </summary>
public static class Age
{
    public static Stream Encrypt(Stream output, IEnumerable<IRecipient> recipients, bool leaveOpen = false) =>
        new AgeEncryptStream(output, recipients, leaveOpen);

    public static Stream Decrypt(Stream input, IEnumerable<IIdentity> identities, bool leaveOpen = false)
    {
        var source = AgeArmor.DetectAndDecode(input, leaveOpen, out var armored);
        var header = AgeHeader.Read(source);
        var fileKey = header.UnwrapFileKey(identities);
        var nonce = new byte[16];
        var read = source.ReadAtLeast(nonce, nonce.Length, throwOnEndOfStream: false);
        if (read != nonce.Length)
        {
            throw new AgeHeaderException("the payload nonce is missing or short");
        }

        return new AgeDecryptStream(source, fileKey, nonce, leaveOpen: !armored && leaveOpen);
    }
}
