//! A consultant's workbook: a `Summary` sheet a reader must skip, a `Users` sheet whose header
//! sits under a two-row title block, `Groups` and `Contacts`; typed cells (real booleans,
//! numbers, Excel dates), the same columns as the ps7 dialect.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

use super::columns::{Cell, Ctx, PS7_CONTACT, PS7_GROUP, PS7_USER, Style};
use super::fmt::EXPORT_TIME;
use super::sink::atomic_with;
use super::view::{ContactView, GroupView, UserView};

/// Excel's row limit minus the title block and header.
pub(crate) const MAX_XLSX_USERS: usize = 1_048_576 - 3;
const TITLE_ROWS: u32 = 2;

fn put(
    ws: &mut Worksheet,
    ctx: &Ctx<'_>,
    row: u32,
    col: u16,
    c: &Cell<'_>,
    date: &Format,
) -> Result<()> {
    match c {
        Cell::Null => {}
        Cell::Text(s) => {
            ws.write_string(row, col, *s)?;
        }
        Cell::Bool(b) => {
            ws.write_boolean(row, col, *b)?;
        }
        Cell::Int(i) => {
            ws.write_number(row, col, *i as f64)?;
        }
        Cell::FileTime(v) => {
            ws.write_number(row, col, *v as f64)?;
        }
        Cell::Date(t) => {
            let dt = ExcelDateTime::from_timestamp(*t)?;
            ws.write_datetime_with_format(row, col, &dt, date)?;
        }
        other => {
            let mut s = String::new();
            ctx.render(other, Style::Ps, &mut s);
            if s.chars().count() > 32_767 {
                bail!(
                    "a cell of row {} holds {} characters, more than Excel's 32,767",
                    row + 1,
                    s.chars().count()
                );
            }
            ws.write_string(row, col, s)?;
        }
    }
    Ok(())
}

pub(crate) fn write(ctx: &Ctx<'_>, path: &Path, progress: &dyn Fn(u64)) -> Result<(PathBuf, u64)> {
    let dir = ctx.dir;
    if dir.users.len() > MAX_XLSX_USERS {
        bail!(
            "the xlsx dialect holds at most {MAX_XLSX_USERS} users on one sheet; {} were generated",
            dir.users.len()
        );
    }
    let mut wb = Workbook::new();
    // A fixed creation date: the same seed must give the same bytes.
    let props = DocProperties::new()
        .set_title("Active Directory inventory")
        .set_author("Contoso IT")
        .set_creation_datetime(&ExcelDateTime::from_timestamp(EXPORT_TIME)?);
    wb.set_properties(&props);
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let date = Format::new().set_num_format("dd/mm/yyyy hh:mm:ss");

    let (sfb, online) = dir.sfb_counts();
    {
        let ws = wb.add_worksheet();
        ws.set_name("Summary")?;
        ws.write_string_with_format(
            0,
            0,
            "Active Directory inventory: contoso.com forest",
            &title,
        )?;
        ws.write_string(
            1,
            0,
            "Prepared for the Skype for Business hybrid readiness assessment",
        )?;
        let figures: [(&str, f64); 6] = [
            ("Users", dir.users.len() as f64),
            ("Groups", dir.groups.len() as f64),
            ("Contacts", dir.contacts.len() as f64),
            ("Domains", dir.domains.len() as f64),
            ("SfB-enabled users", sfb as f64),
            ("SfB users homed online", online as f64),
        ];
        for (i, (k, v)) in figures.iter().enumerate() {
            ws.write_string_with_format(3 + i as u32, 0, *k, &bold)?;
            ws.write_number(3 + i as u32, 1, *v)?;
        }
        ws.set_column_width(0, 28)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("Users")?;
        ws.write_string_with_format(0, 0, "Users (Get-ADUser, all domains)", &title)?;
        ws.write_string(1, 0, "Export taken 30/06/2025 14:00 from DC01.contoso.com")?;
        for (c, col) in PS7_USER.iter().enumerate() {
            ws.write_string_with_format(TITLE_ROWS, c as u16, col.header(), &bold)?;
        }
        for u in 0..dir.users.len() {
            let v = UserView::new(dir, u);
            let row = TITLE_ROWS + 1 + u as u32;
            for (c, col) in PS7_USER.iter().enumerate() {
                put(ws, ctx, row, c as u16, &col.cell(&v, dir, u), &date)?;
            }
            if u % 4096 == 4095 {
                progress(u as u64 + 1);
            }
        }
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("Groups")?;
        for (c, col) in PS7_GROUP.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, col.header(), &bold)?;
        }
        for g in 0..dir.groups.len() {
            let v = GroupView::new(dir, g);
            for (c, col) in PS7_GROUP.iter().enumerate() {
                put(
                    ws,
                    ctx,
                    1 + g as u32,
                    c as u16,
                    &col.cell(&v, dir, g),
                    &date,
                )?;
            }
        }
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("Contacts")?;
        for (c, col) in PS7_CONTACT.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, col.header(), &bold)?;
        }
        for i in 0..dir.contacts.len() {
            let v = ContactView::new(dir, i);
            for (c, col) in PS7_CONTACT.iter().enumerate() {
                put(ws, ctx, 1 + i as u32, c as u16, &col.cell(&v), &date)?;
            }
        }
    }
    progress(dir.users.len() as u64);
    // Saved under a temporary name, then renamed, like every other output.
    let p = atomic_with(path, |tmp| {
        wb.save(tmp)
            .with_context(|| format!("cannot write {}", tmp.display()))
    })?;
    Ok((p, dir.users.len() as u64))
}
