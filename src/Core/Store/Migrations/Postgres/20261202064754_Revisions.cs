using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Ablations.Core.Store.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Revisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CodeVersion",
                table: "stages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConsumedRootSha256",
                table: "stage_inputs",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CellKey",
                table: "runs",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "CurrentRevision",
                table: "experiments",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ManifestJson",
                table: "artifacts",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RootSha256",
                table: "artifacts",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "VerifiedAt",
                table: "artifacts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "revisions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ExperimentId = table.Column<int>(type: "integer", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Description = table.Column<string>(type: "text", nullable: true),
                    SpecPath = table.Column<string>(type: "text", nullable: false),
                    SpecText = table.Column<string>(type: "text", nullable: false),
                    SpecHash = table.Column<string>(type: "text", nullable: false),
                    Profile = table.Column<string>(type: "text", nullable: true),
                    GitCommit = table.Column<string>(type: "text", nullable: true),
                    CodeVersion = table.Column<string>(type: "text", nullable: false),
                    PlanHash = table.Column<string>(type: "text", nullable: false),
                    ReportContextJson = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_revisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_revisions_experiments_ExperimentId",
                        column: x => x.ExperimentId,
                        principalTable: "experiments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "revision_runs",
                columns: table => new
                {
                    RevisionId = table.Column<int>(type: "integer", nullable: false),
                    RunId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_revision_runs", x => new { x.RevisionId, x.RunId });
                    table.ForeignKey(
                        name: "FK_revision_runs_revisions_RevisionId",
                        column: x => x.RevisionId,
                        principalTable: "revisions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_revision_runs_runs_RunId",
                        column: x => x.RunId,
                        principalTable: "runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_runs_ExperimentId_CellKey",
                table: "runs",
                columns: new[] { "ExperimentId", "CellKey" });

            migrationBuilder.CreateIndex(
                name: "IX_revision_runs_RunId",
                table: "revision_runs",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_revisions_ExperimentId_Number",
                table: "revisions",
                columns: new[] { "ExperimentId", "Number" },
                unique: true);

            migrationBuilder.Sql(RevisionsData.Sql("TRUE"));

            migrationBuilder.DropIndex(
                name: "IX_metrics_StageHash_Name_Step",
                table: "metrics");

            migrationBuilder.CreateIndex(
                name: "IX_metrics_StageHash_Name_Step",
                table: "metrics",
                columns: new[] { "StageHash", "Name", "Step" },
                unique: true);

            migrationBuilder.DropColumn(
                name: "CodeVersion",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "Description",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "GitCommit",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "Profile",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "ReportContextJson",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "SpecHash",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "SpecPath",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "SpecText",
                table: "experiments");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "revision_runs");

            migrationBuilder.DropTable(
                name: "revisions");

            migrationBuilder.DropIndex(
                name: "IX_runs_ExperimentId_CellKey",
                table: "runs");

            migrationBuilder.DropIndex(
                name: "IX_metrics_StageHash_Name_Step",
                table: "metrics");

            migrationBuilder.DropColumn(
                name: "CodeVersion",
                table: "stages");

            migrationBuilder.DropColumn(
                name: "ConsumedRootSha256",
                table: "stage_inputs");

            migrationBuilder.DropColumn(
                name: "CellKey",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "CurrentRevision",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "ManifestJson",
                table: "artifacts");

            migrationBuilder.DropColumn(
                name: "RootSha256",
                table: "artifacts");

            migrationBuilder.DropColumn(
                name: "VerifiedAt",
                table: "artifacts");

            migrationBuilder.AddColumn<string>(
                name: "CodeVersion",
                table: "experiments",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Description",
                table: "experiments",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GitCommit",
                table: "experiments",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Profile",
                table: "experiments",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReportContextJson",
                table: "experiments",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SpecHash",
                table: "experiments",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SpecPath",
                table: "experiments",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SpecText",
                table: "experiments",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_metrics_StageHash_Name_Step",
                table: "metrics",
                columns: new[] { "StageHash", "Name", "Step" });
        }
    }
}
