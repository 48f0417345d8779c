using Ablations.Core.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Core.Store;

/// <summary>
/// The results store. SQLite (WAL, busy timeout) by default; PostgreSQL for many nodes through
/// <see cref="PostgresDbContext"/>, which is the same model with its own migrations (column types differ).
/// </summary>
internal class AblationsDbContext : DbContext
{
    public AblationsDbContext(DbContextOptions<AblationsDbContext> options) : base(options) { }

    protected AblationsDbContext(DbContextOptions options) : base(options) { }

    public DbSet<ExperimentRow> Experiments => Set<ExperimentRow>();
    public DbSet<RevisionRow> Revisions => Set<RevisionRow>();
    public DbSet<RevisionRunRow> RevisionRuns => Set<RevisionRunRow>();
    public DbSet<RunRow> Runs => Set<RunRow>();
    public DbSet<RunStageRow> RunStages => Set<RunStageRow>();
    public DbSet<StageRow> Stages => Set<StageRow>();
    public DbSet<StageInputRow> StageInputs => Set<StageInputRow>();
    public DbSet<MetricRow> Metrics => Set<MetricRow>();
    public DbSet<ArtifactRow> Artifacts => Set<ArtifactRow>();
    public DbSet<RunnerRow> Runners => Set<RunnerRow>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<ExperimentRow>(e =>
        {
            e.ToTable("experiments");
            e.HasIndex(x => x.Name).IsUnique();
        });
        b.Entity<RevisionRow>(e =>
        {
            e.ToTable("revisions");
            e.HasIndex(x => new { x.ExperimentId, x.Number }).IsUnique();
            e.HasOne(x => x.Experiment).WithMany(x => x.Revisions).HasForeignKey(x => x.ExperimentId);
        });
        b.Entity<RevisionRunRow>(e =>
        {
            e.ToTable("revision_runs");
            e.HasKey(x => new { x.RevisionId, x.RunId });
            e.HasOne(x => x.Revision).WithMany().HasForeignKey(x => x.RevisionId);
            e.HasOne(x => x.Run).WithMany().HasForeignKey(x => x.RunId);
            e.HasIndex(x => x.RunId);
        });
        b.Entity<RunRow>(e =>
        {
            e.ToTable("runs");
            e.HasIndex(x => new { x.ExperimentId, x.RunKey }).IsUnique();
            e.HasIndex(x => new { x.ExperimentId, x.CellKey });
            e.HasOne(x => x.Experiment).WithMany(x => x.Runs).HasForeignKey(x => x.ExperimentId);
        });
        b.Entity<StageRow>(e =>
        {
            e.ToTable("stages");
            e.HasKey(x => x.Hash);
            e.Property(x => x.Status).HasConversion<string>();
            // By status (its prefix serves every status lookup); taking ready stages walks one queue's pending stages
            // oldest first and stops at the window (TakeWindow).
            e.HasIndex(x => new { x.Status, x.Queue, x.CreatedAt, x.Hash });
        });
        b.Entity<RunStageRow>(e =>
        {
            e.ToTable("run_stages");
            e.HasKey(x => new { x.RunId, x.StageHash });
            e.HasOne(x => x.Run).WithMany(x => x.Stages).HasForeignKey(x => x.RunId);
            e.HasOne(x => x.Stage).WithMany().HasForeignKey(x => x.StageHash);
            e.HasIndex(x => x.StageHash);
        });
        b.Entity<StageInputRow>(e =>
        {
            e.ToTable("stage_inputs");
            e.HasKey(x => new { x.StageHash, x.Role });
            e.HasIndex(x => x.InputHash);
        });
        b.Entity<MetricRow>(e =>
        {
            e.ToTable("metrics");
            // One value per (stage, name, step): a resumed stage re-logging a step replaces the point instead of doubling it.
            e.HasIndex(x => new { x.StageHash, x.Name, x.Step }).IsUnique();
        });
        b.Entity<ArtifactRow>(e =>
        {
            e.ToTable("artifacts");
            e.HasKey(x => x.Hash);
        });
        b.Entity<RunnerRow>(e =>
        {
            e.ToTable("runners");
            e.HasKey(x => x.Id);
            e.Property(x => x.State).HasConversion<string>();
            e.HasIndex(x => x.Name);
        });
    }
}
