pub mod pdf_text;
pub mod report_fixture;
