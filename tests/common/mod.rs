pub mod assess;
pub mod pdf_text;
