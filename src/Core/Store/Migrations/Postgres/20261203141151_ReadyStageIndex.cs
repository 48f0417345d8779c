using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ablations.Core.Store.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ReadyStageIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_stages_Status",
                table: "stages");

            migrationBuilder.CreateIndex(
                name: "IX_stages_Status_Queue_CreatedAt_Hash",
                table: "stages",
                columns: new[] { "Status", "Queue", "CreatedAt", "Hash" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_stages_Status_Queue_CreatedAt_Hash",
                table: "stages");

            migrationBuilder.CreateIndex(
                name: "IX_stages_Status",
                table: "stages",
                column: "Status");
        }
    }
}
