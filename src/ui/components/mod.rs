//! The app's views, one component per file.

mod alert;
mod article;
mod export_button;
mod help_dialog;
mod inspector;
mod legend;
mod open_button;
mod paragraph;
mod paste_dialog;
mod role_highlight;
mod schema_editor;
mod side_panel;
mod source_chart;
mod project_panel;
mod save_status;
mod kept_aside;
mod agreement;
mod toolbar;

pub use alert::AlertRegion;
pub use article::{focus_element, Article, ArticleProps};
pub use export_button::ExportButton;
pub use help_dialog::HelpDialog;
pub use inspector::Inspector;
pub use legend::Legend;
pub use open_button::{open_file, OpenButton};
pub use paragraph::{Paragraph, ParagraphProps};
pub use paste_dialog::{slug, PasteDialog};
pub use role_highlight::{focused_attribution, RoleHighlight};
pub use schema_editor::SchemaEditor;
pub use side_panel::SidePanel;
pub use source_chart::SourceChart;
pub use project_panel::ProjectPanel;
pub use save_status::SaveStatus;
pub use kept_aside::KeptAside;
pub use agreement::AgreementPanel;
pub use toolbar::Toolbar;
