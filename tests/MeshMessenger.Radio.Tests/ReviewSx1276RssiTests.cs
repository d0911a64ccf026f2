using MeshMessenger.Radio.Drivers;
using MeshMessenger.Radio.Hardware;
using MeshMessenger.Radio.Sx127x;

namespace MeshMessenger.Radio.Tests;

/// <summary>
/// SX1276 packet RSSI against the datasheet's own formula (SX1276/77/78/79 rev 7, section 5.5.5), not against the
/// simulated chip, which encodes the same formula as the driver and so cannot disagree with it.
/// </summary>
public sealed class ReviewSx1276RssiTests
{
    [Fact]
    public void Packet_RSSI_below_zero_SNR_adds_the_SNR_in_dB()
    {
        var bus = new RegisterFile();
        var driver = new Sx1276Driver(bus, bus, bus);
        driver.Initialize(RadioBench.EuLongFast());
        driver.StartReceive(0);

        // A 4-byte packet with PacketRssi = 60 and PacketSnr = -40 (SNR -10 dB) on the HF port:
        // §5.5.5: Packet Strength = -157 + PacketRssi + PacketSnr * 0.25 = -157 + 60 - 10 = -107 dBm.
        bus.Registers[Sx127xRegister.IrqFlags] = 0x40;
        bus.Registers[Sx127xRegister.RxNbBytes] = 4;
        bus.Registers[Sx127xRegister.FifoRxCurrentAddr] = 0;
        bus.Registers[Sx127xRegister.PktRssiValue] = 60;
        bus.Registers[Sx127xRegister.PktSnrValue] = unchecked((byte)(sbyte)-40);
        bus.Irq = true;
        var packet = new ReceivedPacket();
        Assert.Equal(ReceiveStatus.Packet, driver.PollReceive(packet));
        Assert.Equal(-10.0, packet.SnrDb, 3);
        Assert.Equal(-107.0, packet.RssiDbm, 3);
    }

    /// <summary>A bare SX127x register file: writes store, reads return; RegFifo reads 0x55.</summary>
    private sealed class RegisterFile : ISpiBus, IRadioPins, IRadioTimer
    {
        private long _now;

        public byte[] Registers { get; } = CreateRegisters();

        public bool Irq { get; set; }

        public bool IsBusy => false;

        public bool IsIrqHigh => Irq;

        public long NowMicroseconds => _now;

        public void Delay(int microseconds) => _now += microseconds;

        public void SetReset(bool high)
        {
        }

        public void SetRfSwitch(bool transmit)
        {
        }

        public void Transfer(byte[] write, byte[] read, int count)
        {
            int address = write[0] & 0x7F;
            bool writing = (write[0] & 0x80) != 0;
            for (int i = 1; i < count; i++)
            {
                int at = address == 0 ? 0 : address + i - 1;
                if (writing)
                {
                    if (at != 0)
                    {
                        Registers[at] = write[i];
                    }
                }
                else
                {
                    read[i] = at == 0 ? (byte)0x55 : Registers[at];
                }
            }
        }

        private static byte[] CreateRegisters()
        {
            var registers = new byte[128];
            registers[Sx127xRegister.Version] = Sx127xRegister.ExpectedVersion;
            return registers;
        }
    }
}
