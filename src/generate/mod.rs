//! Synthetic directories (placeholder until the generator lands).
