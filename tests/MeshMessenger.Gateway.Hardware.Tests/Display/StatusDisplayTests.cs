using System.Device.Gpio;
using MeshMessenger.Gateway.Hardware.Display;

namespace MeshMessenger.Gateway.Hardware.Tests.Display;

/// <summary>
/// The status display at its byte edge: the gateway's display code talks through Iot.Device.Ssd13xx to an I2C
/// device double that decodes the command and data stream as an SSD1306 or SH1106 would; what lands in its display
/// memory is compared pixel by pixel with the committed pictures. The button is driven through System.Device.Gpio
/// with a test GPIO driver and a hand-moved clock.
/// </summary>
public sealed class StatusDisplayTests
{
    internal static readonly DisplayStatus Sample = new(
        GatewayName: "rooftop-school",
        NodeId: "!1a2b3c4d",
        Region: "EU_868",
        Health: "ok",
        NeighboursLastHour: 12,
        FramesIn: 48213,
        FramesOut: 9120,
        Mqtt: "connected",
        Anchoring: "ok",
        TimeSource: "system",
        WebAddress: "http://192.168.1.20:8080");

    private static readonly TimeSpan DimAfter = TimeSpan.FromSeconds(60);

    public static TheoryData<OledController, DisplayPage> Pages()
    {
        var data = new TheoryData<OledController, DisplayPage>();
        foreach (OledController chip in Enum.GetValues<OledController>())
        {
            foreach (DisplayPage page in Enum.GetValues<DisplayPage>())
            {
                data.Add(chip, page);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Each_page_reaches_the_controller_memory_as_the_expected_picture(OledController chip, DisplayPage page)
    {
        var (bus, display, _, _) = Rig(chip);
        while (display.Page != page)
        {
            display.ShortPress();
        }

        display.Update(Sample);
        Assert.Empty(bus.Unknown);
        Assert.True(bus.On);
        Assert.Equal(OledPanel.AwakeContrast, bus.Contrast);
        Assert.Equal(63, bus.Multiplex);
        Assert.True(bus.SegmentRemapped && bus.ComRemapped, "the modules mount the glass rotated: segment and COM remap must both be on");
        Assert.Equal(chip == OledController.Ssd1306, bus.ChargePump);
        Assert.Equal(chip == OledController.Ssd1306 ? 0 : 2, bus.AddressingMode);
        FramePictures.AssertExpected(page.ToString().ToLowerInvariant(), bus.Memory());
    }

    [Fact]
    public void The_QR_page_carries_the_web_address_at_two_pixels_a_module_with_three_finder_patterns()
    {
        var (bus, display, _, _) = Rig(OledController.Ssd1306);
        display.LongPress();
        display.Update(Sample);
        MonoFrame shown = bus.Memory();
        bool[,] modules = StatusPages.QrModules(Sample.WebAddress);
        int n = modules.GetLength(0);
        Assert.Equal(25, n); // version 2 (ISO/IEC 18004 Table 1: 21 + 4 per version above 1)

        // Laid out as StatusPages does: two-module margin, scale 64 / (n + 4), centred vertically; dark module = unlit.
        const int Scale = 2;
        int top = (MonoFrame.Height - ((n + 4) * Scale)) / 2;
        for (int y = 0; y < n; y++)
        {
            for (int x = 0; x < n; x++)
            {
                bool lit = shown[((x + 2) * Scale) + 1, top + ((y + 2) * Scale) + 1];
                Assert.True(lit == !modules[y, x], $"module ({x}, {y})");
            }
        }

        // Independently of QRCoder: a finder pattern (7×7 dark ring, light ring, 3×3 dark core) at three corners.
        foreach (var (fx, fy) in new[] { (0, 0), (n - 7, 0), (0, n - 7) })
        {
            for (int dy = 0; dy < 7; dy++)
            {
                for (int dx = 0; dx < 7; dx++)
                {
                    bool ring = dx is 0 or 6 || dy is 0 or 6;
                    bool core = dx is >= 2 and <= 4 && dy is >= 2 and <= 4;
                    bool lit = shown[((fx + dx + 2) * Scale) + 1, top + ((fy + dy + 2) * Scale) + 1];
                    Assert.True(lit == !(ring || core), $"finder at ({fx}, {fy}) module ({dx}, {dy})");
                }
            }
        }
    }

    [Fact]
    public void A_short_press_turns_the_page_a_long_press_shows_the_QR_code_and_bounce_is_ignored()
    {
        var (bus, display, time, gpio) = Rig(OledController.Sh1106);
        using var controller = new GpioController(gpio);
        using var button = new DisplayButton(controller, gpio.Pin, time);
        button.ShortPressed += display.ShortPress;
        button.LongPressed += display.LongPress;
        Assert.Equal(PinMode.InputPullUp, gpio.ModeOf(gpio.Pin));
        display.Update(Sample);

        DisplayPage[] order = [DisplayPage.Traffic, DisplayPage.Links, DisplayPage.WebAddress, DisplayPage.Identity];
        foreach (DisplayPage expected in order)
        {
            Click(gpio, time, TimeSpan.FromMilliseconds(150));
            Assert.Equal(expected, display.Page);
            Assert.True(bus.Memory().SameAs(StatusPages.Render(expected, Sample)), $"the controller shows {expected}");
        }

        // Contact bounce: a release and press 5 ms apart inside one press are ignored.
        time.Advance(TimeSpan.FromSeconds(1));
        gpio.Press();
        time.Advance(TimeSpan.FromMilliseconds(100));
        gpio.Release();
        time.Advance(TimeSpan.FromMilliseconds(5));
        gpio.Press();
        time.Advance(TimeSpan.FromMilliseconds(100));
        gpio.Release();
        Assert.Equal(DisplayPage.Traffic, display.Page);

        Click(gpio, time, TimeSpan.FromMilliseconds(1200));
        Assert.Equal(DisplayPage.WebAddress, display.Page);
        FramePictures.AssertExpected("webaddress", bus.Memory());

        Click(gpio, time, TimeSpan.FromMilliseconds(999));
        Assert.Equal(DisplayPage.Identity, display.Page); // just under a second is still short
    }

    [Fact]
    public void It_dims_then_sleeps_without_a_press_and_a_press_wakes_it_on_the_same_page()
    {
        var (bus, display, time, gpio) = Rig(OledController.Ssd1306);
        using var controller = new GpioController(gpio);
        using var button = new DisplayButton(controller, gpio.Pin, time);
        button.ShortPressed += display.ShortPress;
        button.LongPressed += display.LongPress;
        display.ShortPress(); // Traffic
        display.Update(Sample);

        time.Advance(DimAfter - TimeSpan.FromSeconds(1));
        display.Update(Sample);
        Assert.Equal((DisplayPower.Awake, OledPanel.AwakeContrast, true), (display.Power, (byte)bus.Contrast, bus.On));

        time.Advance(TimeSpan.FromSeconds(1));
        display.Update(Sample);
        Assert.Equal((DisplayPower.Dimmed, OledPanel.DimContrast, true), (display.Power, (byte)bus.Contrast, bus.On));

        time.Advance(DimAfter);
        display.Update(Sample with { FramesIn = 50000 });
        Assert.Equal((DisplayPower.Off, false), (display.Power, bus.On));
        int writes = bus.Writes.Count;
        display.Update(Sample with { FramesIn = 50001 });
        Assert.Equal(writes, bus.Writes.Count); // nothing goes to a dark panel

        Click(gpio, time, TimeSpan.FromMilliseconds(150));
        Assert.Equal((DisplayPower.Awake, OledPanel.AwakeContrast, true), (display.Power, (byte)bus.Contrast, bus.On));
        Assert.Equal(DisplayPage.Traffic, display.Page); // the wake-up press does not turn the page
        Assert.True(bus.Memory().SameAs(StatusPages.Render(DisplayPage.Traffic, Sample with { FramesIn = 50001 })), "woken on the latest figures");
    }

    [Fact]
    public void A_display_that_does_not_acknowledge_is_named_with_its_bus_address_and_the_fix()
    {
        var bus = new OledOnI2c(OledController.Ssd1306) { Absent = true };
        HardwareException e = Assert.Throws<HardwareException>(() => OledPanel.Start(bus, OledController.Ssd1306, 1, 0x3C));
        Assert.Contains("0x3C on I2C bus 1", e.Message);
        Assert.Contains("i2cdetect -y 1", e.Message);
        Assert.Contains("GPIO 2 (pin 3)", e.Message);
        Assert.IsType<IOException>(e.InnerException);
    }

    [Fact]
    public void A_missing_I2C_device_node_names_the_config_txt_line()
    {
        string dev = Directory.CreateTempSubdirectory("mm-dev-").FullName;
        try
        {
            HardwareException e = Assert.Throws<HardwareException>(() => OledPanel.Open(1, 0x3C, OledController.Sh1106, dev));
            Assert.Contains(Path.Combine(dev, "i2c-1") + " does not exist", e.Message);
            Assert.Contains("dtparam=i2c_arm=on", e.Message);
        }
        finally
        {
            Directory.Delete(dev, true);
        }
    }

    [Fact]
    public void A_display_lost_while_running_throws_IOException_to_its_caller()
    {
        var (bus, display, _, _) = Rig(OledController.Ssd1306);
        display.Update(Sample);
        bus.Absent = true;
        Assert.Throws<IOException>(display.ShortPress); // a press draws at once, so the button's handler hears of the loss...
        Assert.Throws<IOException>(() => display.Update(Sample)); // ...and so does the loop that drives the display
    }

    [Fact]
    public void Text_beyond_its_room_is_cut_and_unknown_characters_show_as_a_question_mark()
    {
        MonoFrame a = StatusPages.Render(DisplayPage.Identity, Sample with { GatewayName = "a-very-long-gateway-name-indeed" });
        MonoFrame b = StatusPages.Render(DisplayPage.Identity, Sample with { GatewayName = "A-VERY-LONG-GATEWAY-~" });
        Assert.True(a.SameAs(b));
        Assert.True(StatusPages.Render(DisplayPage.Identity, Sample with { GatewayName = "é" }).SameAs(StatusPages.Render(DisplayPage.Identity, Sample with { GatewayName = "?" })));
        Assert.False(PixelFont.Has('é'));
    }

    private static (OledOnI2c Bus, StatusDisplay Display, ManualTime Time, ButtonOnGpio Gpio) Rig(OledController chip)
    {
        var bus = new OledOnI2c(chip);
        var time = new ManualTime();
        OledPanel panel = OledPanel.Start(bus, chip, 1, 0x3C);
        return (bus, new StatusDisplay(panel, time, DimAfter), time, new ButtonOnGpio());
    }

    private static void Click(ButtonOnGpio gpio, ManualTime time, TimeSpan held)
    {
        time.Advance(TimeSpan.FromSeconds(1));
        gpio.Press();
        time.Advance(held);
        gpio.Release();
    }
}
