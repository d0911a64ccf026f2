using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Tests.Support;

namespace MeshMessenger.Protocol.Tests;

public sealed class IdentityTests
{
    [Fact]
    public void Root_secret_determines_both_keys_and_the_node_id()
    {
        NodeIdentity a = Identities.Fixed(1);
        NodeIdentity again = Identities.Fixed(1);
        NodeIdentity b = Identities.Fixed(2);

        Assert.Equal(a.SigningKey, again.SigningKey);
        Assert.Equal(a.AgreementKey, again.AgreementKey);
        Assert.NotEqual(a.SigningKey, b.SigningKey);
        Assert.NotEqual(a.SigningKey, a.AgreementKey);
        Assert.Equal(NodeId.FromSigningKey(a.SigningKey, 0), a.Id);
    }

    [Fact]
    public void Node_id_text_round_trips_and_rejects_garbage()
    {
        uint id = Identities.Fixed(3).Id;
        string text = NodeId.ToText(id);
        Assert.Matches("^![0-9a-f]{8}$", text);
        Assert.True(NodeId.TryParse(text, out uint parsed));
        Assert.Equal(id, parsed);
        Assert.False(NodeId.TryParse("!12345", out _));
        Assert.False(NodeId.TryParse("!1234567g", out _));
    }

    [Fact]
    public void Contact_card_text_round_trips_with_name_and_wallet()
    {
        NodeIdentity a = Identities.Fixed(1);
        byte[] wallet = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        ContactCard card = ContactCard.Create(a, "Amina Diallo", wallet);
        string text = card.ToText();

        Assert.StartsWith("MM1:", text);
        Assert.Matches("^MM1:[A-Z2-7]+$", text); // QR alphanumeric mode
        Assert.Equal(ProtocolError.None, ContactCard.TryParse(text.ToLowerInvariant(), out ContactCard? parsed));
        Assert.Equal(a.Id, parsed!.Profile.NodeId);
        Assert.Equal("Amina Diallo", parsed.Profile.Name);
        Assert.Equal(wallet, parsed.Profile.Wallet);
        Assert.Equal(a.AgreementKey, parsed.Profile.AgreementKey);
    }

    [Fact]
    public void Contact_card_with_any_byte_changed_is_refused()
    {
        ContactCard card = ContactCard.Create(Identities.Fixed(1), "Bo", null);
        for (int i = 0; i < card.Encoded.Length; i++)
        {
            byte[] bad = (byte[])card.Encoded.Clone();
            bad[i] ^= 0x01;
            Assert.NotEqual(ProtocolError.None, ContactCard.TryDecode(bad, 0, bad.Length, out _));
        }
    }

    [Fact]
    public void Contact_card_name_is_signed()
    {
        ContactCard card = ContactCard.Create(Identities.Fixed(1), "Bo", null);
        byte[] bad = (byte[])card.Encoded.Clone();
        bad[1 + 64 + 2] = (byte)'X'; // first name byte: version, keys, flags, length
        Assert.Equal(ProtocolError.BadSignature, ContactCard.TryDecode(bad, 0, bad.Length, out _));
    }

    [Fact]
    public void Long_names_are_cut_on_a_character_boundary()
    {
        var profile = Profile.Of(Identities.Fixed(1), new string('é', 40), null);
        Assert.Equal(32, profile.NameBytes.Length);
        Assert.Equal(new string('é', 16), profile.Name);
    }

    [Fact]
    public void Backup_code_restores_the_identity_and_catches_typos()
    {
        NodeIdentity a = Identities.Fixed(7);
        string code = BackupCode.Create(a);
        Assert.Matches("^[A-Z2-7]{4}(-[A-Z2-7]{1,4})+$", code);

        Assert.Equal(ProtocolError.None, BackupCode.TryRestore(code.ToLowerInvariant(), out NodeIdentity? restored));
        Assert.Equal(a.SigningKey, restored!.SigningKey);

        char wrong = code[0] == 'A' ? 'B' : 'A';
        Assert.Equal(ProtocolError.BadChecksum, BackupCode.TryRestore(wrong + code[1..], out _));
        Assert.Equal(ProtocolError.InvalidField, BackupCode.TryRestore("not a code!", out _));
    }
}
