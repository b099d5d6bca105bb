"""innograph.queries"""
