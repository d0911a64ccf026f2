namespace MeshMessenger.Emulator.Payments;

/// <summary>
/// One part of a payment's radio cost: every transmission of it (the author's and each relay's), the frames that were
/// fragments of a larger entry, the bytes on air (LoRa PHY payloads) and the time on air.
/// </summary>
public sealed record AirtimePart(string Part, int Frames, int FragmentFrames, long Bytes, long AirtimeMs);
