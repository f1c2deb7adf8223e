pub mod report_fixture;
