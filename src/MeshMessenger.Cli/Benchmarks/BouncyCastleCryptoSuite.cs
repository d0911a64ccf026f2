using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using BcAead = Org.BouncyCastle.Crypto.Modes.ChaCha20Poly1305;
using BcEd25519 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;
using BcX25519 = Org.BouncyCastle.Math.EC.Rfc7748.X25519;

namespace MeshMessenger.Cli.Benchmarks;

/// <summary>BouncyCastle.Cryptography's managed implementations (Rfc8032, Rfc7748, ChaCha20Poly1305).</summary>
public sealed class BouncyCastleCryptoSuite : CryptoSuite
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
    private readonly KeyParameter _key;
    private readonly BcAead _aead = new();
    private readonly Sha512Digest _sha512 = new();
    private ulong _counter;

    public BouncyCastleCryptoSuite(BenchmarkInputs inputs)
    {
        _in = inputs;
        BcEd25519.Precompute();
        BcEd25519.GeneratePublicKey(_in.SigningSeed, 0, _publicKey, 0);
        BcEd25519.Sign(_in.SigningSeed, 0, _in.Message, 0, _in.Message.Length, _signature, 0);
        BcX25519.ScalarMultBase(_in.PeerAgreementPrivateKey, 0, _peerPublic, 0);
        _key = new KeyParameter(_in.AeadKey);
        _sealed = new byte[_in.Message.Length + 16];
        _opened = new byte[_in.Message.Length];
        Encrypt(_fixedNonce, _sealed);
    }

    public override string Name => "BouncyCastle";

    public override Action Operation(string operation) => operation switch
    {
        Sign => () => BcEd25519.Sign(_in.SigningSeed, 0, _in.Message, 0, _in.Message.Length, _signature, 0),
        Verify => () => Check(BcEd25519.Verify(_signature, 0, _publicKey, 0, _in.Message, 0, _in.Message.Length)),
        Agree => () => BcX25519.CalculateAgreement(_in.AgreementPrivateKey, 0, _peerPublic, 0, _shared, 0),
        Seal => () => Encrypt(NextNonce(ref _counter), _sealScratch),
        Open => () => Check(Decrypt()),
        Hash => () =>
        {
            _sha512.BlockUpdate(_in.HashInput, 0, _in.HashInput.Length);
            _sha512.DoFinal(_digest, 0);
        },
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "unknown operation"),
    };

    public override void SelfCheck()
    {
        if (!BcEd25519.Verify(_signature, 0, _publicKey, 0, _in.Message, 0, _in.Message.Length))
        {
            throw new InvalidOperationException("BouncyCastle Ed25519 rejected its own signature");
        }

        Encrypt(NextNonce(ref _counter), _sealScratch);
        Encrypt(_fixedNonce, _sealed);
        if (!Decrypt() || !_opened.AsSpan().SequenceEqual(_in.Message))
        {
            throw new InvalidOperationException("BouncyCastle ChaCha20-Poly1305 did not round-trip");
        }

        if (!BcX25519.CalculateAgreement(_in.AgreementPrivateKey, 0, _peerPublic, 0, _shared, 0))
        {
            throw new InvalidOperationException("BouncyCastle X25519 produced an all-zero secret");
        }
    }

    private void Encrypt(byte[] nonce, byte[] output)
    {
        _aead.Init(true, new AeadParameters(_key, 128, nonce, _in.Associated));
        int n = _aead.ProcessBytes(_in.Message, 0, _in.Message.Length, output, 0);
        _aead.DoFinal(output, n);
    }

    private bool Decrypt()
    {
        try
        {
            _aead.Init(false, new AeadParameters(_key, 128, _fixedNonce, _in.Associated));
            int n = _aead.ProcessBytes(_sealed, 0, _sealed.Length, _opened, 0);
            _aead.DoFinal(_opened, n);
            return true;
        }
        catch (Org.BouncyCastle.Crypto.InvalidCipherTextException)
        {
            return false;
        }
    }
}
