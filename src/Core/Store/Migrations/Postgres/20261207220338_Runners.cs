using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ablations.Core.Store.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Runners : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Devices",
                table: "stages",
                type: "integer",
                nullable: false,
                defaultValue: 1); // stages stored before placement needed one device

            migrationBuilder.AddColumn<double>(
                name: "MemoryGb",
                table: "stages",
                type: "double precision",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "runners",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Host = table.Column<string>(type: "text", nullable: false),
                    Pid = table.Column<int>(type: "integer", nullable: false),
                    Devices = table.Column<string>(type: "text", nullable: false),
                    WorkersPerDevice = table.Column<int>(type: "integer", nullable: false),
                    Queues = table.Column<string>(type: "text", nullable: false),
                    MemoryGb = table.Column<double>(type: "double precision", nullable: true),
                    Version = table.Column<string>(type: "text", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    HeartbeatAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StaleAfterSeconds = table.Column<double>(type: "double precision", nullable: false),
                    State = table.Column<string>(type: "text", nullable: false),
                    DrainRequested = table.Column<bool>(type: "boolean", nullable: false),
                    StoppedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_runners", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_runners_Name",
                table: "runners",
                column: "Name");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "runners");

            migrationBuilder.DropColumn(
                name: "Devices",
                table: "stages");

            migrationBuilder.DropColumn(
                name: "MemoryGb",
                table: "stages");
        }
    }
}
