using MeshMessenger.Crypto;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Identity;

/// <summary>
/// The 32-bit node id: the first four bytes of SHA-256("MeshMessenger node id" || Ed25519 public key).
/// Taken from the key, not from a MAC address as Meshtastic does, so an id cannot be claimed without the
/// key that signs for it. Written "!" + 8 hex digits, the form Meshtastic users already know.
/// </summary>
public static class NodeId
{
    private static readonly byte[] Domain = Utf8Text.GetBytes("MeshMessenger node id");

    /// <summary>The node id of an Ed25519 public key.</summary>
    public static uint FromSigningKey(byte[] publicKey, int offset)
    {
        var sha = new Sha256();
        sha.Update(Domain, 0, Domain.Length);
        sha.Update(publicKey, offset, Ed25519.PublicKeySize);
        var digest = new byte[Sha256.HashSize];
        sha.Finish(digest, 0);
        return CryptoBytes.LoadUInt32BigEndian(digest, 0);
    }

    /// <summary>The one-byte routing hint of a node: its id's low byte (see docs/protocol.md, "What each observer learns").</summary>
    public static byte HintOf(uint nodeId)
    {
        return (byte)nodeId;
    }

    /// <summary>"!" followed by eight lower-case hex digits.</summary>
    public static string ToText(uint nodeId)
    {
        return "!" + nodeId.ToString("x8");
    }

    /// <summary>Parses "!1a2b3c4d" (the "!" is optional); false on anything else.</summary>
    public static bool TryParse(string text, out uint nodeId)
    {
        nodeId = 0;
        int start = text.Length > 0 && text[0] == '!' ? 1 : 0;
        if (text.Length - start != 8)
        {
            return false;
        }

        for (int i = start; i < text.Length; i++)
        {
            int v = HexValue(text[i]);
            if (v < 0)
            {
                return false;
            }

            nodeId = (nodeId << 4) | (uint)v;
        }

        return true;
    }

    private static int HexValue(char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }

        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }

        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }

        return -1;
    }
}
