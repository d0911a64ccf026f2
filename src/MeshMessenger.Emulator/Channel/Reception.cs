namespace MeshMessenger.Emulator.Channel;

/// <summary>One transmission as one receiver hears it.</summary>
public sealed class Reception(Transmission transmission, int receiver, double rssiDbm, bool demodulable)
{
    /// <summary>What is on air.</summary>
    public Transmission Transmission { get; } = transmission;

    /// <summary>The listening device.</summary>
    public int Receiver { get; } = receiver;

    /// <summary>Received power.</summary>
    public double RssiDbm { get; } = rssiDbm;

    /// <summary>Above the demodulation floor (it would be received alone).</summary>
    public bool Demodulable { get; } = demodulable;

    /// <summary>Destroyed by another transmission (no capture).</summary>
    public bool Collided { get; set; }

    /// <summary>Lost because the receiver was transmitting (half duplex) or off.</summary>
    public bool Missed { get; set; }
}
