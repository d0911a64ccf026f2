using System;
using System.Collections.Generic;
using System.Linq;
using MeshMessenger.Crypto;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Links;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Protocol.Receipts;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Browser;

/// <summary>
/// Checks tests/vectors/protocol/negative-v1.txt inside WebAssembly: every section's input goes to the decoder its
/// decoder_text names (docs/protocol.md §10.2), which must refuse it with exactly its error_text (or, for chain
/// cases, the chain store's verdict_text). One section is one vector; a section naming no known decoder fails.
/// </summary>
internal static class NegativeVectorRunner
{
    private static readonly ISignatureVerifier Managed = new Ed25519SignatureVerifier();

    /// <summary>Runs every section of <paramref name="text"/>.</summary>
    public static VectorReport Run(string text)
    {
        var report = new VectorReport();
        foreach ((string title, Dictionary<string, string> fields) in Sections(text))
        {
            string? why;
            try
            {
                string expected = fields.TryGetValue("error_text", out string? error) ? error : fields["verdict_text"];
                string actual = Decode(fields);
                why = actual == expected ? null : $"expected {expected}, got {actual}";
            }
            catch (Exception e) when (e is KeyNotFoundException or FormatException or ArgumentException or InvalidOperationException or ProtocolException)
            {
                why = "the case could not be run: " + e.Message;
            }

            if (why is null)
            {
                report.Passed++;
            }
            else
            {
                report.Failures.Add($"[{title}] {why}");
            }
        }

        return report;
    }

    private static string Decode(Dictionary<string, string> f)
    {
        byte[] In() => Convert.FromHexString(f["input"]);
        switch (f["decoder_text"])
        {
            case "frame_lora":
            case "frame_ip":
                byte[] frame = In();
                return FrameCodec.TryDecode(frame, 0, frame.Length, f["decoder_text"] == "frame_ip" ? FrameLimits.Ip : FrameLimits.LoRa, out _).ToString();
            case "entry":
                byte[] entry = In();
                return EntryCodec.TryDecode(entry, 0, entry.Length, out _).ToString();
            case "fragment":
                return Fragment.TryDecode(In(), out _).ToString();
            case "heads":
                return HeadsMessage.TryDecode(In(), out _).ToString();
            case "want":
                return WantMessage.TryDecode(In(), out _).ToString();
            case "node_lora":
                byte[] bytes = In();
                var node = new MessengerNode(Alice(), "alice", new MemoryEntryStore(), new BrowserClock(), FrameLimits.LoRa, false, Managed);
                return node.Receive(bytes, 0, bytes.Length).ToString();
            case "receipt":
                return ReceiptBody.TryDecode(In(), Alice().Id, out _).ToString();
            case "profile":
                byte[] profile = In();
                return Profile.TryDecode(profile, 0, profile.Length, out _).ToString();
            case "card":
                byte[] card = In();
                return ContactCard.TryDecode(card, 0, card.Length, out _).ToString();
            case "card_text":
                return ContactCard.TryParse(f["input_text"], out _).ToString();
            case "text":
                byte[] text = In();
                return (Utf8Text.Decode(text, 0, text.Length) == null ? ProtocolError.InvalidText : ProtocolError.None).ToString();
            case "backup_text":
                return BackupCode.TryRestore(f["input_text"], out _).ToString();
            case "challenge":
                byte[] challenge = In();
                return LinkChallenge.TryDecode(challenge, 0, challenge.Length, out _).ToString();
            case "proof":
                byte[] proof = In();
                return LinkProof.TryDecode(proof, 0, proof.Length, out _).ToString();
            case "signature":
                byte[] key = Convert.FromHexString(f["public"]);
                byte[] message = Convert.FromHexString(f["message"]);
                return (Ed25519.Verify(key, 0, message, 0, message.Length, Convert.FromHexString(f["signature"]), 0) ? ProtocolError.None : ProtocolError.BadSignature).ToString();
            case "chain":
                var store = new ChainStore(new MemoryEntryStore(), Managed);
                if (f.TryGetValue("held", out string? held) && store.Accept(Entry(held)) != ChainVerdict.Accepted)
                {
                    return "the held entry is refused";
                }

                return store.Accept(Entry(f["input"])).ToString();
            default:
                return "no decoder named " + f["decoder_text"];
        }
    }

    private static NodeIdentity Alice() => NodeIdentity.FromRootSecret([.. Enumerable.Repeat((byte)1, NodeIdentity.RootSecretSize)]);

    private static Entry Entry(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex);
        return EntryCodec.TryDecode(bytes, 0, bytes.Length, out Entry? entry) == ProtocolError.None ? entry! : throw new FormatException("a chain case's entry does not decode");
    }

    // One section is one case; titles are whole (they hold colons), and the file's reader is the positive runner's.
    private static List<(string Title, Dictionary<string, string> Fields)> Sections(string text)
    {
        var sections = new List<(string, Dictionary<string, string>)>();
        foreach ((string section, string key, string value) in ProtocolVectorRunner.Parse(text, wholeTitles: true))
        {
            if (sections.Count == 0 || sections[^1].Item1 != section)
            {
                sections.Add((section, []));
            }

            sections[^1].Item2[key] = value;
        }

        return sections;
    }
}
