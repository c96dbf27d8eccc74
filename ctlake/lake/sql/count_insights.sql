SELECT count(*) FROM aws_insights
