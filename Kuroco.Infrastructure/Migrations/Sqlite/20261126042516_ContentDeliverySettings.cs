using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ContentDeliverySettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CacheMaxAgeSeconds",
                table: "ContentTypes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "CacheStaleIfErrorSeconds",
                table: "ContentTypes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "CacheStaleWhileRevalidateSeconds",
                table: "ContentTypes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "IsPublic",
                table: "ContentTypes",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CacheMaxAgeSeconds",
                table: "ContentTypes");

            migrationBuilder.DropColumn(
                name: "CacheStaleIfErrorSeconds",
                table: "ContentTypes");

            migrationBuilder.DropColumn(
                name: "CacheStaleWhileRevalidateSeconds",
                table: "ContentTypes");

            migrationBuilder.DropColumn(
                name: "IsPublic",
                table: "ContentTypes");
        }
    }
}
