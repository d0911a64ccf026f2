using MeshMessenger.Emulator.Metrics;

namespace MeshMessenger.Emulator.Tests;

public sealed class SweepStatisticsTests
{
    [Fact]
    public void The_interval_matches_a_data_set_with_a_known_t_interval()
    {
        // 10 values 1..10: mean 5.5, sd √(82.5/9) = 3.0277, t(0.975, 9) = 2.262, half-width 2.262·3.0277/√10 = 2.1658
        // (the same as R's t.test(1:10): 3.334149 .. 7.665851, where t = 2.262157).
        Spread s = Spread.Of(Enumerable.Range(1, 10).Select(i => (double)i));
        Assert.Equal(10, s.N);
        Assert.Equal(5.5, s.Mean, 12);
        Assert.Equal(3.02765, s.Sd, tolerance: 1e-4);
        Assert.Equal(3.334149, s.Low95, tolerance: 1e-3);
        Assert.Equal(7.665851, s.High95, tolerance: 1e-3);
    }

    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(9, 2.262)]
    [InlineData(30, 2.042)]
    [InlineData(31, 2.0395)]
    [InlineData(40, 2.0211)]
    [InlineData(60, 2.0003)]
    [InlineData(120, 1.9799)]
    public void Student_t_quantiles_match_the_tables(int df, double expected) => Assert.Equal(expected, Spread.T(df), tolerance: 1e-3);

    [Fact]
    public void One_value_has_a_zero_width_interval_and_none_is_refused()
    {
        Spread s = Spread.Of([42.0]);
        Assert.Equal((1, 42.0, 0.0, 42.0, 42.0), (s.N, s.Mean, s.Sd, s.Low95, s.High95));
        Assert.Throws<ArgumentException>(() => Spread.Of([]));
    }

    [Fact]
    public void A_win_or_a_loss_needs_intervals_apart_otherwise_a_tie()
    {
        SweepFigure delivery = SweepFigure.Named("dmDeliveryPercent");
        SweepFigure airtime = SweepFigure.Named("airtimePerDeliveredMs");
        Spread low = new(10, 50, 5, 47, 53);
        Spread high = new(10, 60, 5, 57, 63);
        Spread overlapping = new(10, 55, 5, 52, 58);
        Assert.Equal(Verdict.Win, delivery.Judge(high, low));
        Assert.Equal(Verdict.Loss, delivery.Judge(low, high));
        Assert.Equal(Verdict.Tie, delivery.Judge(overlapping, low));
        Assert.Equal(Verdict.Tie, delivery.Judge(low, overlapping));
        // Less airtime is better: the same intervals judge the other way.
        Assert.Equal(Verdict.Win, airtime.Judge(low, high));
        Assert.Equal(Verdict.Loss, airtime.Judge(high, low));
        // Touching intervals overlap in one point: a tie.
        Assert.Equal(Verdict.Tie, delivery.Judge(new Spread(10, 56, 1, 53, 59), low));
        // Figures that are not judged never win.
        Assert.Equal(Verdict.Tie, SweepFigure.Named("measuredMessages").Judge(high, low));
    }

    [Fact]
    public void The_doc_section_is_rewritten_between_its_markers_only()
    {
        string doc = $"# title\n\nbefore\n{SweepDoc.Begin}\nold table\n{SweepDoc.End}\nafter\n";
        string rewritten = SweepDoc.Rewrite(doc, "new table\n");
        Assert.Equal($"# title\n\nbefore\n{SweepDoc.Begin}\nnew table\n{SweepDoc.End}\nafter\n", rewritten);
        Assert.Equal(rewritten, SweepDoc.Rewrite(rewritten, "new table\n"));
        Assert.Throws<InvalidDataException>(() => SweepDoc.Rewrite("# no markers\n", "x"));
        Assert.Throws<InvalidDataException>(() => SweepDoc.Rewrite($"{SweepDoc.End}\n{SweepDoc.Begin}\n", "x"));
    }
}
