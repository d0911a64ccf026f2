using Xunit;

// The operation counters and the table mode are process-wide statics: these tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
