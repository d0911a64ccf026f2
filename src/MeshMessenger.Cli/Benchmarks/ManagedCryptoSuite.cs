using MeshMessenger.Crypto;

namespace MeshMessenger.Cli.Benchmarks;

/// <summary>MeshMessenger's own subset crypto (src/MeshMessenger.Crypto), the code the devices run.</summary>
public sealed class ManagedCryptoSuite : CryptoSuite
{
    private readonly BenchmarkInputs _in;
    private readonly byte[] _publicKey = new byte[32];
    private readonly byte[] _signature = new byte[64];
    private readonly byte[] _peerPublic = new byte[32];
    private readonly byte[] _shared = new byte[32];
    private readonly byte[] _sealed;
    private readonly byte[] _opened;
    private readonly byte[] _sealScratch = new byte[216];
    private readonly byte[] _fixedNonce = new byte[12];
    private readonly byte[] _digest = new byte[64];
    private readonly ChaCha20Poly1305 _aead;
    private ulong _counter;

    public ManagedCryptoSuite(BenchmarkInputs inputs)
    {
        _in = inputs;
        Ed25519.GeneratePublicKey(_in.SigningSeed, 0, _publicKey, 0);
        Ed25519.Sign(_in.SigningSeed, 0, _publicKey, 0, _in.Message, 0, _in.Message.Length, _signature, 0);
        X25519.ScalarMultBase(_in.PeerAgreementPrivateKey, 0, _peerPublic, 0);
        _aead = new ChaCha20Poly1305(_in.AeadKey, 0);
        _sealed = new byte[_in.Message.Length + ChaCha20Poly1305.TagSize];
        _opened = new byte[_in.Message.Length];
        _aead.Encrypt(_fixedNonce, 0, 12, _in.Message, 0, _in.Message.Length, _in.Associated, 0, _in.Associated.Length, _sealed, 0);
    }

    public override string Name => "managed";

    public override Action Operation(string operation) => operation switch
    {
        Sign => () => Ed25519.Sign(_in.SigningSeed, 0, _publicKey, 0, _in.Message, 0, _in.Message.Length, _signature, 0),
        Verify => () => Check(Ed25519.Verify(_publicKey, 0, _in.Message, 0, _in.Message.Length, _signature, 0)),
        Agree => () => X25519.ScalarMult(_in.AgreementPrivateKey, 0, _peerPublic, 0, _shared, 0),
        Seal => () =>
        {
            byte[] nonce = NextNonce(ref _counter);
            _aead.Encrypt(nonce, 0, 12, _in.Message, 0, _in.Message.Length, _in.Associated, 0, _in.Associated.Length, _sealScratch, 0);
        },
        Open => () => Check(_aead.Decrypt(_fixedNonce, 0, 12, _sealed, 0, _sealed.Length, _in.Associated, 0, _in.Associated.Length, _opened, 0)),
        Hash => () => Sha512.Hash(_in.HashInput, 0, _in.HashInput.Length, _digest, 0),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "unknown operation"),
    };

    public override void SelfCheck()
    {
        Operation(Sign)();
        if (!Ed25519.Verify(_publicKey, 0, _in.Message, 0, _in.Message.Length, _signature, 0))
        {
            throw new InvalidOperationException("managed Ed25519 rejected its own signature");
        }

        _aead.Encrypt(_fixedNonce, 0, 12, _in.Message, 0, _in.Message.Length, _in.Associated, 0, _in.Associated.Length, _sealed, 0);
        if (!_aead.Decrypt(_fixedNonce, 0, 12, _sealed, 0, _sealed.Length, _in.Associated, 0, _in.Associated.Length, _opened, 0)
            || !_opened.AsSpan().SequenceEqual(_in.Message))
        {
            throw new InvalidOperationException("managed ChaCha20-Poly1305 did not round-trip");
        }

        if (!X25519.ScalarMult(_in.AgreementPrivateKey, 0, _peerPublic, 0, _shared, 0))
        {
            throw new InvalidOperationException("managed X25519 produced an all-zero secret");
        }
    }
}
