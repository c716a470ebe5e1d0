namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>One HTTP/1.1 message head as read off the wire, with what it says about the body that follows.</summary>
internal sealed record HttpHead(byte[] Bytes, long ContentLength, bool Chunked);
