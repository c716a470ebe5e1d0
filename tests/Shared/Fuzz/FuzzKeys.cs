using Vaultik.Age;

namespace Vaultik.Tests.Fuzz;

/// <summary>Fixed age keys for the fuzz corpus: the same keys every run, so saved inputs replay the same way.</summary>
public static class FuzzKeys
{
    /// <summary>The identity every fuzz corpus file is encrypted to.</summary>
    public static readonly X25519Identity Identity = X25519Identity.Parse("AGE-SECRET-KEY-1H8XRSL2PLDRZAV5EYR8ZE0TTSHNTDY2E86025HUCE6KW5FWPGAMSFY9QAS");

    /// <summary>A second recipient, so corpus headers carry a stanza the identity does not open.</summary>
    public static readonly X25519Identity Other = X25519Identity.Parse("AGE-SECRET-KEY-174KVY3T5483YXTJZ0U5L9PRS0Q0SD8Y8V46AQ3Y8JPGVTTHZVTZQ5Q6KV5");
}
