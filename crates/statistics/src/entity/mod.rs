pub mod daily_count;
pub mod report;
pub mod report_file;
pub mod rolled_day;
