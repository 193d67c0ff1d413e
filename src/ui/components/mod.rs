//! The app's views, one component per file.

mod alert;
mod article;
mod export_button;
mod open_button;
mod paragraph;
mod toolbar;

pub use alert::AlertRegion;
pub use article::Article;
pub use export_button::ExportButton;
pub use open_button::OpenButton;
pub use paragraph::{Paragraph, ParagraphProps};
pub use toolbar::Toolbar;
