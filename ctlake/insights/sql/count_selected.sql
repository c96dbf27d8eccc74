SELECT count(*) FROM selected_insights
